import { applyDecorators } from '@nestjs/common';
import { ApiScope, RequireScopes, Role, Roles, Self } from '#cairn/shared/auth';

/**
 * Who manages a client's circle of supporters: the people in `roles`, never a bare API key (`Self`), and a
 * partner frontend acting as the client (an actAsClient token) holding `scope`.
 */
export const ManagesSupporters = (
  scope: ApiScope.SUPPORTERS_READ | ApiScope.SUPPORTERS_WRITE,
  ...roles: Role[]
) => applyDecorators(Roles(...roles), Self(), RequireScopes(scope));
