// Every conformance group, in the order a run takes them (CheckFileInfo first: the others read it).
import type { CheckGroup } from '../types';
import { deleteFileGroup } from './delete-file';
import { fileIdsAndTokensGroup, tokenScopeGroup } from './file-ids-and-tokens';
import { proofKeysGroup } from './proof-keys';
import { putRelativeFileGroup, putRelativeFileUnsupportedGroup } from './put-relative-file';
import { putUserInfoGroup } from './put-user-info';
import { renameFileGroup } from './rename-file';
import { lockHeadersGroup, maxExpectedSizeGroup } from './request-headers';

export const ALL_GROUPS: readonly CheckGroup[] = [
  putRelativeFileGroup,
  putRelativeFileUnsupportedGroup,
  renameFileGroup,
  putUserInfoGroup,
  deleteFileGroup,
  fileIdsAndTokensGroup,
  tokenScopeGroup,
  lockHeadersGroup,
  maxExpectedSizeGroup,
  proofKeysGroup,
];
