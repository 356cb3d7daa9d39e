-- CreateTable
CREATE TABLE "factor_returns" (
    "region" TEXT NOT NULL,
    "factor_set" TEXT NOT NULL,
    "vintage" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "mkt_rf" DOUBLE PRECISION,
    "smb" DOUBLE PRECISION,
    "hml" DOUBLE PRECISION,
    "rmw" DOUBLE PRECISION,
    "cma" DOUBLE PRECISION,
    "mom" DOUBLE PRECISION,
    "rf" DOUBLE PRECISION,

    CONSTRAINT "factor_returns_pkey" PRIMARY KEY ("region","factor_set","vintage","date")
);
