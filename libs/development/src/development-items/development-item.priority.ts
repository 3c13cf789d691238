/**
 * The prioritized view's order, in one place for every query that ranks: priority score (value × motivation)
 * first, then higher value, then higher motivation, then the older item, then the id (so ranks are unique
 * and stable). `alias` is the development_items alias of the query.
 */
export function priorityOrder(alias: string): [string, 'ASC' | 'DESC'][] {
  return [
    [`${alias}.value_score * ${alias}.motivation_score`, 'DESC'],
    [`${alias}.value_score`, 'DESC'],
    [`${alias}.motivation_score`, 'DESC'],
    [`${alias}.created_at`, 'ASC'],
    [`${alias}.id`, 'ASC'],
  ];
}

export const priorityOrderSql = (alias: string) =>
  priorityOrder(alias)
    .map(([expression, direction]) => `${expression} ${direction}`)
    .join(', ');
