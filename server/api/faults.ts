// Fault rules through the API model: list, add (a rule or a preset), edit, remove, export and import.
// Built by the faults work; until then every method says so.
import { ApiModelError } from './errors';
import type { ApiEngine, ApiModel, ApiRooms } from './types';

type FaultsApi = Pick<
  ApiModel,
  | 'faults'
  | 'addFault'
  | 'updateFault'
  | 'removeFault'
  | 'clearFaults'
  | 'exportFaults'
  | 'importFaults'
  | 'faultPresets'
>;

const notYet = (): Promise<never> =>
  Promise.reject(new ApiModelError('not-available', 'fault rules are not built yet'));

export function createFaultsApi(_engine: ApiEngine, _rooms: ApiRooms): FaultsApi {
  return {
    faults: notYet,
    addFault: notYet,
    updateFault: notYet,
    removeFault: notYet,
    clearFaults: notYet,
    exportFaults: notYet,
    importFaults: notYet,
    faultPresets: notYet,
  };
}
