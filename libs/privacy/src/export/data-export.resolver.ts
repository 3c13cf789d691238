import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal, Role, Roles } from '#cairn/shared/auth';
import { IdPipe } from '#cairn/shared/graphql';
import { DataExport, RequestedDataExport } from './data-export.model.js';
import { DataExportService } from './data-export.service.js';

// An admin for any client of the firm, a client for themself; no scope, so API keys and partner tokens are refused:
// a person's whole record leaves Cairn only at a person's request.
@Roles(Role.ADMIN, Role.CLIENT)
@Resolver(() => DataExport)
export class DataExportResolver {
  constructor(private readonly exports: DataExportService) {}

  @Mutation(() => RequestedDataExport, {
    description:
      'Starts an export of everything Cairn holds about the client (profile, goals with revisions and measures, ' +
      'development items, career paths, tasks, check-ins with answers and feedback, notifications, messages, ' +
      'supporters, calendar feeds) as one JSON document with a `readme`. Admins: any client; a client: themself.',
  })
  requestClientDataExport(
    @CurrentPrincipal() principal: Principal,
    @Args('clientId', { type: () => ID }, IdPipe) clientId: string,
  ): Promise<RequestedDataExport> {
    return this.exports.request(principal, clientId);
  }

  @Query(() => DataExport, { description: 'An export’s status and progress (admins: the firm’s; a client: their own).' })
  dataExport(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }, IdPipe) id: string): Promise<DataExport> {
    return this.exports.find(principal, id);
  }
}
