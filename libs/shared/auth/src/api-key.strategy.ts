import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import { Principal } from './principal.js';
import { PrincipalVerifier } from './principal-verifier.js';

export const API_KEY_HEADER = 'x-api-key';

@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, 'api-key') {
  constructor(private readonly verifier: PrincipalVerifier) {
    super();
  }

  async validate(req: Request): Promise<Principal> {
    return this.verifier.verifyApiKey(String(req.headers[API_KEY_HEADER] ?? ''));
  }
}
