// What one heavy request may cost, checked before any bar is read: its members, the sessions of bars it works
// through (members x (window + estimation)) and the rows of its answer (members x window). Over a limit is a
// 400 whose message names the limit (its environment variable) and the parameters the request sent.
import { AppError } from '../errors/appError';

export interface BudgetLimits {
  /** members of one study */
  STUDY_MAX_MEMBERS: number;
  /** members x (window + estimation) sessions of one request */
  ANALYSIS_MAX_MEMBER_SESSIONS: number;
  /** members x window sessions: the day rows of one answer */
  ANALYSIS_MAX_ANSWER_ROWS: number;
}

export interface RequestCost {
  members: number;
  /** the parameters that made the members, as the request named them (e.g. ["symbols", "dates"]) */
  memberParams: readonly string[];
  /** how the members were counted, e.g. "40 symbols x 200 dates" */
  membersText: string;
  windowSessions: number;
  estimationSessions: number;
  /** the parameter of the estimation sample ("estimation" or "estimationDates") */
  estimationParam: string;
  /** whether members are capped by STUDY_MAX_MEMBERS (studies) or only by the other two limits (impact) */
  memberCap: boolean;
}

const n = (x: number) => x.toLocaleString('en-US');

function overBudget(params: readonly string[], what: string, limitName: string, limit: number, value: number): AppError {
  const message = `${what} is more than ${limitName} (${n(limit)})`;
  return new AppError(
    400,
    'over_budget',
    `Invalid query parameter: ${params.join(', ')}: ${message}`,
    params.map((param) => ({ param, message, limit: limitName, limitValue: limit, value })),
  );
}

/** Throws the 400 of the first limit the request is over. */
export function checkBudget(cost: RequestCost, limits: BudgetLimits): void {
  const members = `${n(cost.members)} members (${cost.membersText})`;
  if (cost.memberCap && cost.members > limits.STUDY_MAX_MEMBERS)
    throw overBudget(cost.memberParams, members, 'STUDY_MAX_MEMBERS', limits.STUDY_MAX_MEMBERS, cost.members);
  const sessions = cost.members * (cost.windowSessions + cost.estimationSessions);
  if (sessions > limits.ANALYSIS_MAX_MEMBER_SESSIONS)
    throw overBudget(
      [...cost.memberParams, 'window', cost.estimationParam],
      `${members} x (${n(cost.windowSessions)} window + ${n(cost.estimationSessions)} estimation sessions) = ${n(sessions)} member-sessions`,
      'ANALYSIS_MAX_MEMBER_SESSIONS',
      limits.ANALYSIS_MAX_MEMBER_SESSIONS,
      sessions,
    );
  const rows = cost.members * cost.windowSessions;
  if (rows > limits.ANALYSIS_MAX_ANSWER_ROWS)
    throw overBudget(
      [...cost.memberParams, 'window'],
      `${members} x ${n(cost.windowSessions)} window sessions = ${n(rows)} day rows in the answer`,
      'ANALYSIS_MAX_ANSWER_ROWS',
      limits.ANALYSIS_MAX_ANSWER_ROWS,
      rows,
    );
}

/** Sessions in calendar dates D1..D2 at most (5 a week). */
export function sessionsBetween(from: string, to: string): number {
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
  return Math.ceil((days * 5) / 7);
}
