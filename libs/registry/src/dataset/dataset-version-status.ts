import { DomainError } from '../shared/domain-error';

/**
 * Refuses a version that is not READY (still IMPORTING, or FAILED) with DATASET_VERSION_NOT_READY
 * (BAD_USER_INPUT): nothing trains on, evaluates or serves data that is not all there.
 */
export function requireReadyVersion<T extends { id: string; number: number; status: string; storageUri: string | null; contentSha256: string | null }>(
  version: T,
  datasetName: string,
): T & { storageUri: string; contentSha256: string } {
  if (version.status === 'READY' && version.storageUri !== null && version.contentSha256 !== null) {
    return version as T & { storageUri: string; contentSha256: string };
  }
  const state =
    version.status === 'IMPORTING'
      ? 'is still IMPORTING; wait until it is READY (datasetVersionUpdated, or `lepton datasets import` shows it)'
      : 'FAILED to import; fix the file and import it again';
  throw new DomainError('DATASET_VERSION_NOT_READY', `Dataset ${datasetName} v${version.number} ${state}`, {
    field: 'datasetVersionId',
  });
}
