/** Every check, in the order their findings are reported. */
import { exportLicenseLeak } from './export-license-leak';
import { gplOnlySymbol } from './gpl-only-symbol';
import { missingModuleLicense } from './missing-module-license';
import { missingNamespaceImport } from './missing-namespace-import';
import { removedApi } from './removed-api';
import { unexportedSymbol } from './unexported-symbol';
import type { Check } from './types';

export const ALL_CHECKS: readonly Check[] = [gplOnlySymbol, missingNamespaceImport, missingModuleLicense, removedApi, unexportedSymbol, exportLicenseLeak];
