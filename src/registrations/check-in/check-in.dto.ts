import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class CheckInDto {
  @ApiProperty({ example: '7KQM-2XWD', description: 'the check-in code from the confirmation email or its QR code (case, spaces and hyphens ignored)' })
  @IsString({ message: 'code must be a string' })
  @IsNotEmpty({ message: 'code must not be empty' })
  @MaxLength(64, { message: 'code must be at most 64 characters' })
  code: string;
}

export class CheckInPersonView {
  @ApiProperty() id: string;
  @ApiProperty({ example: '김민지' }) name: string;
  @ApiProperty() email: string;
  @ApiProperty({ type: String, nullable: true, example: '한빛소프트' }) company: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'ICT' }) cluster: string | null;
}

export class CheckInView {
  @ApiProperty({ enum: ['checked_in'] }) status: 'checked_in';
  @ApiProperty({ type: CheckInPersonView }) registration: CheckInPersonView;
  @ApiProperty() checkedInAt: Date;
}
