/**
 * Document content in S3-compatible object storage (DOCUMENT_STORE=s3): one object per content,
 * named by its storage key. Uploads go up in 5 MiB parts (S3's smallest multipart part), so at
 * most one part per upload is in memory; downloads stream the object's body.
 */
import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { pieces, type ContentSource, type DocumentStore, type StoredContent } from './document-store';

export interface S3Settings {
  bucket: string;
  region: string;
  /** another S3-compatible service (MinIO, Ceph, a cloud provider's endpoint); unset: AWS */
  endpoint?: string;
  /** `https://endpoint/bucket/key` instead of `https://bucket.endpoint/key` (most non-AWS services) */
  forcePathStyle: boolean;
  /** unset: the SDK's default credential chain (environment, profile, instance role) */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

const PART_BYTES = 5 * 1024 * 1024;

export class S3DocumentStore implements DocumentStore {
  private readonly client: S3Client;

  constructor(private readonly settings: S3Settings) {
    this.client = new S3Client({ region: settings.region, endpoint: settings.endpoint, forcePathStyle: settings.forcePathStyle, credentials: settings.credentials });
  }

  async write(source: ContentSource): Promise<StoredContent> {
    const storageKey = crypto.randomUUID();
    const digest = { hash: crypto.createHash('sha256'), bytes: 0 };
    const parts = pieces(source, PART_BYTES, digest)[Symbol.asyncIterator]();
    const first = await parts.next();
    const firstPart = first.done ? Buffer.alloc(0) : first.value;
    if (firstPart.length < PART_BYTES) {
      // pieces are full-sized until the last: a short first piece is the whole content
      await this.client.send(new PutObjectCommand({ Bucket: this.settings.bucket, Key: storageKey, Body: firstPart, ContentLength: firstPart.length }));
    } else {
      await this.uploadInParts(storageKey, firstPart, parts);
    }
    return { storageKey, size: digest.bytes, sha256: digest.hash.digest('hex') };
  }

  private async uploadInParts(key: string, firstPart: Buffer, rest: AsyncIterator<Buffer>): Promise<void> {
    const target = { Bucket: this.settings.bucket, Key: key };
    const { UploadId } = await this.client.send(new CreateMultipartUploadCommand(target));
    try {
      const etags: Array<{ ETag: string | undefined; PartNumber: number }> = [];
      for (let part: Buffer | undefined = firstPart, number = 1; part; number++) {
        const { ETag } = await this.client.send(new UploadPartCommand({ ...target, UploadId, PartNumber: number, Body: part, ContentLength: part.length }));
        etags.push({ ETag, PartNumber: number });
        const next = await rest.next();
        part = next.done ? undefined : next.value;
      }
      await this.client.send(new CompleteMultipartUploadCommand({ ...target, UploadId, MultipartUpload: { Parts: etags } }));
    } catch (err) {
      // a failed source (upload over its limit) or store: no parts are left behind
      await this.client.send(new AbortMultipartUploadCommand({ ...target, UploadId })).catch(() => undefined);
      throw err;
    }
  }

  async read(storageKey: string): Promise<Readable | undefined> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: storageKey }));
      return object.Body as Readable;
    } catch (err) {
      if ((err as { name?: string }).name === 'NoSuchKey' || (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
      throw err;
    }
  }

  async remove(storageKey: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: storageKey }));
  }

  /** Not swept yet: an object left by a crash mid-upload stays (README, known gaps); a bucket lifecycle rule can expire them. */
  async removeUnlinkedBefore(): Promise<number> {
    return 0;
  }
}
