/** Every check, in the order their findings are reported. */
import { exportLicenseLeak } from './export-license-leak';
import { gplOnlySymbol } from './gpl-only-symbol';
import { missingModuleLicense } from './missing-module-license';
import { missingNamespaceImport } from './missing-namespace-import';
import { removedApi } from './removed-api';
import { removedMember } from './removed-member';
import { unexportedSymbol } from './unexported-symbol';
import { documentTooLarge } from './document-too-large';
import type { Check, CheckMeta } from './types';
import { repository } from '../../../../package.json';

export const ALL_CHECKS: readonly Check[] = [gplOnlySymbol, missingNamespaceImport, missingModuleLicense, removedApi, removedMember, unexportedSymbol, exportLicenseLeak];

/** Every code a finding may have: the checks', and the engine's own about a document it does not check. */
export const ALL_CODES: readonly CheckMeta[] = [...ALL_CHECKS.map((c) => c.meta), documentTooLarge];

/** The page that explains check `code` (docs/checks/<code>.md), linked from diagnostics and SARIF rules. */
export const docsUrl = (code: string) => `${repository.url}/blob/main/docs/checks/${code}.md`;
