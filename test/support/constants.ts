export const TEMPLATE_DB = 'aftershock_template';
