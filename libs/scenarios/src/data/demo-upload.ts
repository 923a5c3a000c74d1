import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { DemoDefinition } from '../catalog/scenario-catalog';
import { scenarioDataDirectory } from './scenario-data';

/** What Prepare uploads for a demo: its one file as is, or its files as a tar archive (PneumoniaMNIST's six). */
export async function demoUploadBody(demo: DemoDefinition, dataDir = scenarioDataDirectory()): Promise<{ filename: string; stream: Readable }> {
  if (demo.files.length === 1) {
    const file = demo.files[0]!;
    return { filename: path.basename(file), stream: createReadStream(path.join(dataDir, file)) };
  }
  const entries = await Promise.all(demo.files.map(async (file) => ({ name: path.basename(file), bytes: await readFile(path.join(dataDir, file)) })));
  return { filename: `${demo.datasetName}.tar`, stream: Readable.from([tarArchive(entries)]) };
}

const BLOCK = 512;

/** A POSIX ustar archive of regular files (names under 100 bytes), as the importer's extraction reads it. */
export function tarArchive(entries: { name: string; bytes: Uint8Array }[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const header = Buffer.alloc(BLOCK);
    header.write(entry.name, 0, 100, 'utf8');
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(entry.bytes.length.toString(8).padStart(11, '0') + '\0', 124);
    header.write('00000000000\0', 136);
    header.write('        ', 148); // checksum field counts as spaces while summing
    header.write('0', 156); // regular file
    header.write('ustar\0', 257);
    header.write('00', 263);
    const checksum = header.reduce((sum, byte) => sum + byte, 0);
    header.write(checksum.toString(8).padStart(6, '0') + '\0 ', 148);
    parts.push(header, Buffer.from(entry.bytes), Buffer.alloc((BLOCK - (entry.bytes.length % BLOCK)) % BLOCK));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}
