import type { BlobMeta, BlobStore } from "../../../party.ts";

/**
 * Chat uploads in an R2 bucket: the bytes as the object, the metadata as its custom metadata.
 *
 * @example
 * const blobs = r2BlobStore(env.uploads);
 * await blobs.put("f_abc", bytes, { type: "image/png", name: "cart.png" });
 */
export function r2BlobStore(bucket: R2Bucket): BlobStore {
  return {
    async put(key, bytes, meta) {
      await bucket.put(key, bytes, { customMetadata: meta });
    },
    async get(key) {
      const object = await bucket.get(key);
      if (!object) return null;
      return { bytes: await object.arrayBuffer(), meta: object.customMetadata as BlobMeta };
    },
    async head(key) {
      const object = await bucket.head(key);
      return object ? (object.customMetadata as BlobMeta) : null;
    },
    async delete(key) {
      await bucket.delete(key);
    },
  };
}
