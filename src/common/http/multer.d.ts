/** The part of multer 2's API the console's file upload uses (the package ships no types). */
declare module 'multer' {
  import type { RequestHandler } from 'express';

  interface StorageEngine {
    readonly _storageEngine?: never;
  }
  interface Options {
    storage?: StorageEngine;
    defParamCharset?: string;
    limits?: { fileSize?: number; files?: number; fields?: number; fieldSize?: number; parts?: number };
  }
  interface Multer {
    single(field: string): RequestHandler;
  }
  interface MulterFactory {
    (options?: Options): Multer;
    memoryStorage(): StorageEngine;
    MulterError: new (code: string, field?: string) => Error & { code: string; field?: string };
  }
  const multer: MulterFactory;
  export = multer;
}

declare namespace Express {
  /** A file multer's memory storage kept from a multipart form. */
  interface Request {
    file?: { fieldname: string; originalname: string; mimetype: string; size: number; buffer: Buffer };
  }
}
