// The simulated client through the API model: its keys and misbehaviours, whole runs, and headless
// sessions that open, save and close like Office. Built by the simulator work; until then every
// method says so.
import { ApiModelError } from './errors';
import type { ApiEngine, ApiModel, ApiRooms } from './types';

type SimulatorApi = Pick<
  ApiModel,
  | 'simulator'
  | 'setMisbehaviour'
  | 'rotateSimulatorKey'
  | 'runSimulator'
  | 'simSessions'
  | 'startSimSession'
  | 'simSession'
  | 'saveSimSession'
  | 'closeSimSession'
>;

const notYet = (): Promise<never> =>
  Promise.reject(new ApiModelError('not-available', 'the simulator API is not built yet'));

export function createSimulatorApi(_engine: ApiEngine, _rooms: ApiRooms): SimulatorApi {
  return {
    simulator: notYet,
    setMisbehaviour: notYet,
    rotateSimulatorKey: notYet,
    runSimulator: notYet,
    simSessions: notYet,
    startSimSession: notYet,
    simSession: notYet,
    saveSimSession: notYet,
    closeSimSession: notYet,
  };
}
