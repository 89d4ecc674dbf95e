// Fault rules through the API model: list, add (a rule or a preset), edit, remove, export and import.
// The engine (server/faults/) checks every input and throws FaultRuleError with the API's codes
// ('bad-request' naming the field, 'not-found'); the model's wrapper turns those into ApiModelError.
import { ApiModelError } from './errors';
import type { ApiEngine, ApiModel, ApiRooms } from './types';
import { objectInput } from './validate';

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

export function createFaultsApi(engine: ApiEngine, _rooms: ApiRooms): FaultsApi {
  const { faults } = engine;
  const ruleId = (id: unknown): string => {
    if (typeof id !== 'string' || id === '')
      throw new ApiModelError('bad-request', 'ruleId must be a non-empty string');
    return id;
  };
  return {
    faults: async () => faults.list(),
    addFault: async (req) => faults.add(objectInput(req, '{"preset":"host-unavailable-on-save"}')),
    updateFault: async (id, req) => faults.update(ruleId(id), req),
    removeFault: async (id) => faults.remove(ruleId(id)),
    clearFaults: async () => ({ removed: faults.clear() }),
    exportFaults: async () => faults.exportFile(),
    importFaults: async (req) => faults.importFile(req),
    faultPresets: async () => faults.presets(),
  };
}
