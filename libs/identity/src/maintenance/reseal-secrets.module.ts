import { Module } from '@nestjs/common';
import { SecretBox } from '#cairn/shared/auth';
import { AppConfig, ConfigModule, loadConfig } from '#cairn/shared/config';
import { DatabaseModule } from '#cairn/shared/database';
import { SecretResealer } from './reseal-secrets.job.js';

/** Just enough to reseal from the command line (`npm run keys:reseal`): configuration, database, the box. */
@Module({})
export class ResealSecretsModule {
  static forRoot(config: AppConfig = loadConfig()) {
    return {
      module: ResealSecretsModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot({ entities: [], applicationName: 'cairn-reseal' })],
      providers: [SecretBox, SecretResealer],
      exports: [SecretResealer],
    };
  }
}
