/**
 * Kafka's default partitioner (murmur2 of the key bytes, positive, modulo the partition
 * count), so a key lands on the same partition number on every adapter.
 */
export function murmur2(data: Buffer): number {
  const seed = 0x9747b28c
  const m = 0x5bd1e995
  const r = 24
  const length = data.length
  let h = seed ^ length
  const length4 = length >> 2
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4
    let k = (data[i4]! & 0xff) + ((data[i4 + 1]! & 0xff) << 8) + ((data[i4 + 2]! & 0xff) << 16) + ((data[i4 + 3]! & 0xff) << 24)
    k = Math.imul(k, m)
    k ^= k >>> r
    k = Math.imul(k, m)
    h = Math.imul(h, m)
    h ^= k
  }
  const extra = length % 4
  const idx = length & ~3
  if (extra === 3) h ^= (data[idx + 2]! & 0xff) << 16
  if (extra >= 2) h ^= (data[idx + 1]! & 0xff) << 8
  if (extra >= 1) {
    h ^= data[idx]! & 0xff
    h = Math.imul(h, m)
  }
  h ^= h >>> 13
  h = Math.imul(h, m)
  h ^= h >>> 15
  return h | 0
}

export function partitionFor(key: string, partitions: number): number {
  return (murmur2(Buffer.from(key, 'utf8')) & 0x7fffffff) % partitions
}
