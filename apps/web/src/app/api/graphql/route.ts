import { NextResponse, type NextRequest } from 'next/server';
import { apiEndpoints } from '@/lib/server/config';
import { isSameOrigin, tokenOf } from '@/lib/server/session';

/**
 * Dashboard requests are small (metric ingest goes to the API directly); the largest is a scenario's
 * X-ray upload to predict: at most 2 MB of image, a third more as base64.
 */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

function refuse(status: number, code: string, message: string): NextResponse {
  return NextResponse.json({ errors: [{ message, extensions: { code } }] }, { status });
}

/**
 * Same-origin GraphQL for the browser: adds the bearer token from the httpOnly cookie and forwards
 * to the API, which enforces every role check.
 */
export async function POST(request: NextRequest): Promise<NextResponse> {
  if (!isSameOrigin(request)) return refuse(403, 'FORBIDDEN', 'Cross-origin requests are not accepted');
  const token = tokenOf(request);
  if (!token) return refuse(401, 'UNAUTHENTICATED', 'Sign in first');
  const body = await request.text();
  if (body.length > MAX_BODY_BYTES) return refuse(413, 'BAD_USER_INPUT', 'The request body is too large');
  let upstream: Response;
  try {
    upstream = await fetch(apiEndpoints().graphql, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
      cache: 'no-store',
    });
  } catch {
    return refuse(502, 'API_UNAVAILABLE', 'The Lepton API did not answer');
  }
  return new NextResponse(upstream.body, {
    status: upstream.status,
    headers: { 'content-type': upstream.headers.get('content-type') ?? 'application/json' },
  });
}
