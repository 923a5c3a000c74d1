import { NextResponse, type NextRequest } from 'next/server';
import { postToApi } from '@/lib/server/api';
import { clearTokenCookie, isSameOrigin, setTokenCookie } from '@/lib/server/session';

const CHECK_TOKEN = 'query SignInCheck { viewer { user { name } } }';

/** Sign in: the pasted token is checked against the API, then kept only in an httpOnly cookie. */
export async function POST(request: NextRequest): Promise<NextResponse> {
  if (!isSameOrigin(request))
    return NextResponse.json({ error: 'Cross-origin sign-in is not accepted' }, { status: 403 });
  const input = (await request.json().catch(() => null)) as { token?: unknown } | null;
  const token = typeof input?.token === 'string' ? input.token.trim() : '';
  if (!token) return NextResponse.json({ error: 'Paste an API token' }, { status: 400 });
  let answer;
  try {
    answer = await postToApi<{ viewer: { user: { name: string } } }>(CHECK_TOKEN, {}, token);
  } catch {
    return NextResponse.json({ error: 'The Lepton API did not answer; is it running?' }, { status: 502 });
  }
  if (!answer.body.data?.viewer) {
    const code = answer.body.errors?.[0]?.extensions?.code;
    const message =
      code === 'UNAUTHENTICATED'
        ? 'This token is unknown or revoked'
        : (answer.body.errors?.[0]?.message ?? 'Sign-in failed');
    return NextResponse.json({ error: message }, { status: code === 'UNAUTHENTICATED' ? 401 : 502 });
  }
  const response = NextResponse.json({ user: answer.body.data.viewer.user.name });
  setTokenCookie(response, request, token);
  return response;
}

/** Sign out (also reachable without JavaScript through /api/session/sign-out). */
export async function DELETE(request: NextRequest): Promise<NextResponse> {
  const response = new NextResponse(null, { status: 204 });
  clearTokenCookie(response, request);
  return response;
}
