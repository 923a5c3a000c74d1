import { NextResponse, type NextRequest } from 'next/server';
import { apiEndpoints } from '@/lib/server/config';
import { isSameOrigin, tokenOf } from '@/lib/server/session';

/** Headers the API's upload endpoint reads; nothing else (cookies included) is forwarded. */
const FORWARDED = ['content-type', 'content-length', 'x-filename'];

/**
 * Same-origin proxy for POST /v1/uploads: streams the browser's body straight through (never
 * buffering the file) and adds the bearer token.
 */
export async function POST(request: NextRequest): Promise<NextResponse> {
  if (!isSameOrigin(request))
    return NextResponse.json(
      { error: { code: 'FORBIDDEN', message: 'Cross-origin uploads are not accepted' } },
      { status: 403 },
    );
  const token = tokenOf(request);
  if (!token)
    return NextResponse.json({ error: { code: 'UNAUTHENTICATED', message: 'Sign in first' } }, { status: 401 });
  const target = new URL(apiEndpoints().uploads);
  const project = request.nextUrl.searchParams.get('project');
  if (project) target.searchParams.set('project', project);
  const headers = new Headers({ authorization: `Bearer ${token}` });
  for (const name of FORWARDED) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: 'POST',
      headers,
      body: request.body,
      duplex: 'half',
      cache: 'no-store',
    } as RequestInit);
  } catch {
    return NextResponse.json(
      { error: { code: 'API_UNAVAILABLE', message: 'The Lepton API did not answer' } },
      { status: 502 },
    );
  }
  return new NextResponse(upstream.body, {
    status: upstream.status,
    headers: { 'content-type': upstream.headers.get('content-type') ?? 'application/json' },
  });
}
