import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { MAIL_KINDS, OutboxStatus } from '../outbox/outbox-message.entity';

export const DELIVERY_STATUSES: readonly OutboxStatus[] = ['pending', 'sent', 'failed', 'skipped'];

export class ListDeliveriesQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, description: 'only the deliveries in this state' })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES, { message: `status must be one of ${DELIVERY_STATUSES.join(', ')}` })
  status?: OutboxStatus;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, description: 'at most this many; absent: all of them' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: 'limit must be between 1 and 500' })
  @Max(500, { message: 'limit must be between 1 and 500' })
  limit?: number;

  @ApiPropertyOptional({ example: '42', description: 'the id of the last delivery of the previous page (the `Link: rel="next"` header gives the next page)' })
  @IsOptional()
  @Matches(/^[1-9][0-9]{0,17}$/, { message: 'after must be a delivery id (a string of digits)' })
  after?: string;
}

export class RetryDeliveriesDto {
  @ApiPropertyOptional({ isArray: true, type: String, example: ['42', '43'], description: 'default: every failed delivery of the event' })
  @IsOptional()
  @IsArray({ message: 'ids must be an array of delivery ids' })
  @ArrayMaxSize(10_000)
  @ArrayUnique({ message: 'ids must not repeat an id' })
  @IsString({ each: true, message: 'each value in ids must be a delivery id (a string of digits)' })
  @Matches(/^[1-9][0-9]{0,17}$/, { each: true, message: 'each value in ids must be a delivery id (a string of digits)' })
  ids?: string[];
}

export class DeliveryView {
  @ApiProperty({ example: '42', description: 'the outbox row id' }) id: string;
  @ApiProperty({ enum: MAIL_KINDS }) kind: string;
  @ApiProperty() recipient: string;
  @ApiProperty({ enum: DELIVERY_STATUSES, description: '`skipped`: not sent on purpose (suppressed address, event cancelled meanwhile); `lastError` says why' })
  status: string;
  @ApiProperty({ description: 'SMTP attempts so far (kept across retries)' }) attempts: number;
  @ApiPropertyOptional({ nullable: true }) lastError: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'the Message-ID of the sent mail' }) messageId: string | null;
  @ApiPropertyOptional({ nullable: true }) sentAt: Date | null;
  @ApiProperty() createdAt: Date;
}

/** A delivery id in a path: the outbox row id, digits only (400 naming it otherwise, never a database error). */
@Injectable()
export class DeliveryIdParam implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[1-9][0-9]{0,17}$/.test(value)) throw new BadRequestException(['deliveryId must be a delivery id (a string of digits)']);
    return value;
  }
}
