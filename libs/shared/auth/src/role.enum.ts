import { registerEnumType } from '@nestjs/graphql';

export enum Role {
  ADMIN = 'ADMIN',
  COACH = 'COACH',
  CLIENT = 'CLIENT',
}

registerEnumType(Role, {
  name: 'Role',
  description: 'ADMIN runs the firm, COACH coaches clients, CLIENT is coached.',
});
