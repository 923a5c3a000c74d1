import { cookies } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { graphql } from '@/graphql/generated';
import type { TypedDocumentString } from '@/graphql/generated/graphql';
import { ApiRequestError, type GraphQLResult } from '@/lib/graphql-errors';
import { apiEndpoints } from './config';
import { TOKEN_COOKIE } from './session';

/** POSTs one operation to the API with the bearer token (server side only). */
export async function postToApi<R>(
  query: string,
  variables: unknown,
  token: string,
): Promise<{ status: number; body: GraphQLResult<R> }> {
  const response = await fetch(apiEndpoints().graphql, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
    cache: 'no-store',
  });
  const body = (await response.json()) as GraphQLResult<R>;
  return { status: response.status, body };
}

/**
 * Runs an operation for a server component with the signed-in user's token. A missing or rejected
 * token sends the user to sign in, NOT_FOUND renders the not-found page, anything else throws to
 * the nearest error boundary.
 */
export async function serverQuery<R, V>(
  document: TypedDocumentString<R, V>,
  ...[variables]: V extends Record<string, never> ? [] : [V]
): Promise<R> {
  const token = (await cookies()).get(TOKEN_COOKIE)?.value;
  if (!token) redirect('/sign-in');
  const { status, body } = await postToApi<R>(document.toString(), variables ?? {}, token);
  const code = body.errors?.[0]?.extensions?.code;
  if (code === 'UNAUTHENTICATED') redirect('/sign-in?expired=1');
  if (code === 'NOT_FOUND') notFound();
  if (body.errors?.length || !body.data) throw new ApiRequestError(body.errors ?? [], status);
  return body.data;
}

const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      user {
        name
      }
      token {
        name
        role
        project {
          name
        }
      }
      memberships {
        role
        project {
          name
          description
        }
      }
    }
  }
`);

/** The caller, fetched once per request however many components ask. */
export const getViewer = cache(async () => (await serverQuery(ViewerQuery)).viewer);

export type Role = 'VIEWER' | 'EDITOR' | 'ADMIN';

/** The caller's role in a project, or null when the token cannot reach it. */
export async function roleIn(project: string): Promise<Role | null> {
  const viewer = await getViewer();
  return viewer.memberships.find((membership) => membership.project.name === project)?.role ?? null;
}

/** Whether the UI offers writes in this project; the API enforces roles whatever the UI shows. */
export async function canWrite(project: string): Promise<boolean> {
  const role = await roleIn(project);
  return role === 'EDITOR' || role === 'ADMIN';
}
