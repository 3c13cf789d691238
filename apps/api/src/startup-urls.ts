import type { AppConfig } from '#cairn/shared/config';
import { QUEUE_DASHBOARD_PATH } from '#cairn/shared/queue';

/**
 * The one line the API logs once it listens: where each of its doors is, so nobody has to guess. The explorer
 * and the queue dashboard are listed only when served (GRAPHQL_EXPLORER, QUEUE_DASHBOARD_PASSWORD); /metrics
 * says when it wants a token.
 */
export function startupUrls(config: AppConfig): string {
  const base = config.publicBaseUrl;
  const doors = [
    `GraphQL ${base}/graphql`,
    ...(config.graphqlExplorerEnabled ? [`explorer ${base}/graphql (in a browser)`] : []),
    `health ${base}/health/ready`,
    `metrics ${base}/metrics${config.METRICS_TOKEN ? ' (bearer METRICS_TOKEN)' : ''}`,
    ...(config.QUEUE_DASHBOARD_PASSWORD ? [`queue dashboard ${base}${QUEUE_DASHBOARD_PATH}`] : []),
  ];
  return `Cairn API listening on port ${config.API_PORT}: ${doors.join(' · ')}`;
}
