/**
 * Reading a Python package index the way pip does, without pip: the "simple" repository API in its JSON form
 * (PEP 691) or HTML form (PEP 503), at PIP_INDEX_URL and PIP_EXTRA_INDEX_URL; wheel file names and platform
 * tags (PEP 427/600); version specifiers (PEP 440, the subset wheels' Requires-Dist use).
 */
import { getText, type GetOptions } from './http';

export const DEFAULT_INDEX = 'https://pypi.org/simple/';

export interface IndexFile {
  project: string;
  filename: string;
  /** Absolute download URL. */
  url: string;
  /** From the index (JSON `hashes.sha256` or the `#sha256=` URL fragment); required to download. */
  sha256: string | null;
  size: number | null;
  /** The index URL it was listed by (without credentials). */
  index: string;
}

/** PIP_INDEX_URL (default PyPI) then every PIP_EXTRA_INDEX_URL entry, as pip reads them. */
export function indexUrls(environment: NodeJS.ProcessEnv = process.env): string[] {
  const primary = environment['PIP_INDEX_URL']?.trim() || DEFAULT_INDEX;
  const extra = (environment['PIP_EXTRA_INDEX_URL'] ?? '').split(/\s+/).filter(Boolean);
  return [primary, ...extra].map((url) => (url.endsWith('/') ? url : `${url}/`));
}

/** PEP 503 name normalisation: `TensorFlow_CPU` → `tensorflow-cpu`. */
export function normalizeProject(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function displayUrl(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.toString();
}

interface JsonPage {
  files: { filename: string; url: string; hashes?: Record<string, string>; size?: number; yanked?: boolean | string }[];
}

const ANCHOR = /<a\s([^>]*)>([^<]*)<\/a>/gi;
const ATTRIBUTE = (name: string) => new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'i');

function unescapeHtml(text: string): string {
  return text.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_, entity: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[entity]!,
  );
}

/** PEP 503 HTML: one anchor per file, the hash in the URL fragment, `data-yanked` on yanked files. */
export function parseHtmlPage(html: string, pageUrl: URL): JsonPage['files'] {
  const files: JsonPage['files'] = [];
  for (const [, attributes, text] of html.matchAll(ANCHOR)) {
    const href = ATTRIBUTE('href').exec(attributes!);
    if (!href) continue;
    const url = new URL(unescapeHtml(href[1] ?? href[2] ?? ''), pageUrl);
    const fragment = /^#?(\w+)=([0-9a-f]+)$/i.exec(url.hash);
    url.hash = '';
    files.push({
      filename: unescapeHtml(text!.trim()),
      url: url.toString(),
      hashes: fragment ? { [fragment[1]!.toLowerCase()]: fragment[2]!.toLowerCase() } : {},
      yanked: ATTRIBUTE('data-yanked').test(attributes!) || /\sdata-yanked(\s|$)/i.test(attributes!),
    });
  }
  return files;
}

/** Every file `index` lists for `project` (yanked files left out), or [] when the index does not know it. */
export async function listProjectFiles(project: string, index: string, options: GetOptions = {}): Promise<IndexFile[]> {
  const pageUrl = new URL(`${normalizeProject(project)}/`, index).toString();
  let page: Awaited<ReturnType<typeof getText>>;
  try {
    page = await getText(pageUrl, {
      ...options,
      headers: { accept: 'application/vnd.pypi.simple.v1+json, text/html;q=0.1' },
    });
  } catch (error) {
    if ((error as { status?: number }).status === 404) return [];
    throw error;
  }
  const files = page.contentType.includes('json')
    ? (JSON.parse(page.text) as JsonPage).files
    : parseHtmlPage(page.text, page.url);
  return files
    .filter((file) => !file.yanked)
    .map((file) => ({
      project,
      filename: file.filename,
      url: new URL(file.url, page.url).toString(),
      sha256: file.hashes?.['sha256']?.toLowerCase() ?? null,
      size: file.size ?? null,
      index: displayUrl(index),
    }));
}

export interface WheelName {
  project: string;
  version: string;
  pythonTags: string[];
  abiTags: string[];
  platformTags: string[];
}

/** `tensorflow_cpu-2.21.0-cp312-cp312-manylinux_2_27_x86_64.whl` → its parts; null for anything else. */
export function parseWheelName(filename: string): WheelName | null {
  const match = /^(.+?)-([^-]+)(?:-\d[^-]*)?-([^-]+)-([^-]+)-([^-]+)\.whl$/.exec(filename);
  if (!match) return null;
  return {
    project: normalizeProject(match[1]!),
    version: match[2]!,
    pythonTags: match[3]!.split('.'),
    abiTags: match[4]!.split('.'),
    platformTags: match[5]!.split('.'),
  };
}

export interface Platform {
  os: 'linux' | 'darwin' | string;
  arch: 'x86_64' | 'aarch64' | 'arm64' | string;
  /** glibc [major, minor] on Linux; null for musl or unknown. */
  glibc: [number, number] | null;
  /** macOS [major, minor]. */
  macos: [number, number] | null;
}

const LEGACY_MANYLINUX: Record<string, [number, number]> = {
  manylinux1: [2, 5],
  manylinux2010: [2, 12],
  manylinux2014: [2, 17],
};

function atMost(required: [number, number], available: [number, number] | null): boolean {
  return !!available && (required[0] < available[0] || (required[0] === available[0] && required[1] <= available[1]));
}

/** Whether a wheel's platform tag runs here (manylinux by glibc version, macOS by OS version). */
export function platformTagMatches(tag: string, platform: Platform): boolean {
  if (tag === 'any') return true;
  if (platform.os === 'linux') {
    const modern = /^manylinux_(\d+)_(\d+)_(\w+)$/.exec(tag);
    if (modern) return modern[3] === platform.arch && atMost([Number(modern[1]), Number(modern[2])], platform.glibc);
    const legacy = /^(manylinux1|manylinux2010|manylinux2014)_(\w+)$/.exec(tag);
    if (legacy) return legacy[2] === platform.arch && atMost(LEGACY_MANYLINUX[legacy[1]!]!, platform.glibc);
    return false;
  }
  if (platform.os === 'darwin') {
    const mac = /^macosx_(\d+)_(\d+)_(\w+)$/.exec(tag);
    if (!mac) return false;
    const arches = mac[3] === 'universal2' ? ['arm64', 'x86_64'] : [mac[3]!];
    return arches.includes(platform.arch) && atMost([Number(mac[1]), Number(mac[2])], platform.macos);
  }
  return false;
}

/** Any Python is fine (only the C libraries are used); prefer `py3`, then the newest CPython, for a stable pick. */
function pythonRank(tags: string[]): number {
  if (tags.some((tag) => tag.startsWith('py3'))) return 1000;
  return Math.max(...tags.map((tag) => Number(/^cp3(\d+)$/.exec(tag)?.[1] ?? -1)));
}

/** The wheel of `project` at exactly `version` that fits `platform`, or null. */
export function pickWheel(files: IndexFile[], project: string, version: string, platform: Platform): IndexFile | null {
  const fitting = files
    .map((file) => ({ file, wheel: parseWheelName(file.filename) }))
    .filter(
      ({ wheel }) =>
        wheel &&
        wheel.project === normalizeProject(project) &&
        compareVersions(wheel.version, version) === 0 &&
        wheel.platformTags.some((tag) => platformTagMatches(tag, platform)),
    )
    .sort(
      (a, b) =>
        pythonRank(b.wheel!.pythonTags) - pythonRank(a.wheel!.pythonTags) ||
        a.file.filename.localeCompare(b.file.filename),
    );
  return fitting[0]?.file ?? null;
}

interface Version {
  release: number[];
  /** [0 = a, 1 = b, 2 = rc, n] or null */
  pre: [number, number] | null;
  post: number | null;
  dev: number | null;
}

/** PEP 440 versions as wheels use them: `12.5.3.2`, `2.21.0rc1`, `1.0.post1`, `2.0.dev3`. */
export function parseVersion(text: string): Version {
  const match =
    /^v?(\d+(?:\.\d+)*)(?:[-_.]?(a|alpha|b|beta|c|rc|pre|preview)[-_.]?(\d*))?(?:[-_.]?(?:post|rev|r)[-_.]?(\d*))?(?:[-_.]?dev[-_.]?(\d*))?(?:\+.*)?$/i.exec(
      text.trim(),
    );
  if (!match) throw new Error(`not a version: ${text}`);
  const preKind = match[2]?.toLowerCase();
  return {
    release: match[1]!.split('.').map(Number),
    pre: preKind ? [preKind.startsWith('a') ? 0 : preKind.startsWith('b') ? 1 : 2, Number(match[3] || 0)] : null,
    post: match[4] === undefined ? null : Number(match[4] || 0),
    dev: match[5] === undefined ? null : Number(match[5] || 0),
  };
}

export function isPrerelease(text: string): boolean {
  const version = parseVersion(text);
  return version.pre !== null || version.dev !== null;
}

export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  for (let i = 0; i < Math.max(x.release.length, y.release.length); i++) {
    const difference = (x.release[i] ?? 0) - (y.release[i] ?? 0);
    if (difference) return Math.sign(difference);
  }
  // dev < pre < (final) < post; a missing part sorts as the final release.
  const preKey = (v: Version) => (v.pre ? v.pre[0] * 1e6 + v.pre[1] : v.dev !== null && v.post === null ? -1 : 3e6);
  const postKey = (v: Version) => v.post ?? -1;
  const devKey = (v: Version) => v.dev ?? Infinity;
  const order = (a: number, b: number) => (a < b ? -1 : a > b ? 1 : 0);
  return order(preKey(x), preKey(y)) || order(postKey(x), postKey(y)) || order(devKey(x), devKey(y));
}

/** `>=12.5.3.2,<13.0`, `!=0.5.0`, `==2.21.*`, `~=1.4` */
export function satisfies(version: string, specifier: string): boolean {
  return specifier
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .every((clause) => {
      const match = /^(~=|===|==|!=|<=|>=|<|>)\s*(.+)$/.exec(clause);
      if (!match) throw new Error(`unsupported version specifier: ${clause}`);
      const [, operator, target] = match as unknown as [string, string, string];
      if ((operator === '==' || operator === '!=') && target.endsWith('.*')) {
        const prefix = target.slice(0, -2).split('.').map(Number);
        const same = prefix.every((part, i) => parseVersion(version).release[i] === part);
        return operator === '==' ? same : !same;
      }
      const order = compareVersions(version, target);
      switch (operator) {
        case '==':
        case '===':
          return order === 0;
        case '!=':
          return order !== 0;
        case '<':
          return order < 0;
        case '<=':
          return order <= 0;
        case '>':
          return order > 0;
        case '>=':
          return order >= 0;
        default: {
          // ~=X.Y.Z means >=X.Y.Z, ==X.Y.*
          const release = parseVersion(target).release;
          return order >= 0 && release.slice(0, -1).every((part, i) => parseVersion(version).release[i] === part);
        }
      }
    });
}

export interface Requirement {
  project: string;
  specifier: string;
  /** The environment marker after `;`, or ''. */
  marker: string;
}

/** `Requires-Dist:` lines of a wheel's METADATA. */
export function parseRequiresDist(metadata: string): Requirement[] {
  return metadata
    .split(/\r?\n/)
    .filter((line) => line.startsWith('Requires-Dist:'))
    .map((line) => {
      const [requirement, marker = ''] = line.slice('Requires-Dist:'.length).split(';');
      const match = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*\(?([^)]*)\)?\s*$/.exec(requirement!);
      if (!match) throw new Error(`cannot read requirement: ${line}`);
      return { project: normalizeProject(match[1]!), specifier: match[2]!.trim(), marker: marker.trim() };
    });
}

/** The requirements an extra adds (`extra == "and-cuda"`), for Linux. Other marker variables are not evaluated. */
export function requirementsOfExtra(requirements: Requirement[], extra: string): Requirement[] {
  const mentionsExtra = new RegExp(`extra\\s*==\\s*["']${extra.replace(/[-_.]+/g, '[-_.]')}["']`);
  return requirements.filter(
    (requirement) =>
      mentionsExtra.test(requirement.marker) && !/sys_platform\s*==\s*["'](?!linux)/.test(requirement.marker),
  );
}

/** The newest final release of `project` that meets `specifier` and has a wheel for `platform`. */
export function pickRequirementWheel(
  files: IndexFile[],
  requirement: Requirement,
  platform: Platform,
): IndexFile | null {
  const versions = [
    ...new Set(
      files
        .map((file) => parseWheelName(file.filename))
        .filter((wheel) => wheel && wheel.project === requirement.project && !isPrerelease(wheel.version))
        .map((wheel) => wheel!.version),
    ),
  ]
    .filter((version) => satisfies(version, requirement.specifier))
    .sort((a, b) => compareVersions(b, a));
  for (const version of versions) {
    const wheel = pickWheel(files, requirement.project, version, platform);
    if (wheel) return wheel;
  }
  return null;
}
