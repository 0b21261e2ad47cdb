import { Global, Module } from '@nestjs/common';
import { TemplateRenderer } from './template-renderer.service';

@Global()
@Module({ providers: [TemplateRenderer], exports: [TemplateRenderer] })
export class TemplatesModule {}
