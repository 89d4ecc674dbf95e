// The simulated client through the API model: its keys and misbehaviours, whole runs, and headless
// sessions that open, save and close like Office (server/hostpage/sim-sessions.ts does the work;
// here the input is checked).
import { parseRunSimulator, parseSetMisbehaviour, parseSimSave, parseStartSimSession } from './inputs';
import type { ApiEngine, ApiModel, ApiRooms } from './types';
import { idArg } from './validate';

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

export function createSimulatorApi(_engine: ApiEngine, rooms: ApiRooms): SimulatorApi {
  const sim = rooms.hostPage.simSessions;
  return {
    simulator: async () => sim.view(),
    setMisbehaviour: async (input) => {
      sim.setMisbehaviour(parseSetMisbehaviour(input).misbehave);
      return sim.view();
    },
    rotateSimulatorKey: async () => {
      await sim.rotateKey();
      return sim.view();
    },
    runSimulator: async (input) => sim.run(parseRunSimulator(input)),
    simSessions: async () => sim.list(),
    startSimSession: async (input) => sim.start(parseStartSimSession(input)),
    simSession: async (sessionId) => sim.get(idArg(sessionId, 'sessionId')),
    saveSimSession: async (sessionId, input) => sim.save(idArg(sessionId, 'sessionId'), parseSimSave(input)),
    closeSimSession: async (sessionId) => sim.close(idArg(sessionId, 'sessionId')),
  };
}
