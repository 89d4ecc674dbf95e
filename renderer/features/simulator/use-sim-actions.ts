// Simulated-client actions with their notices. Answers are applied at once; the 'simulator:session'
// events that follow carry the same sessions (the later state wins either way).
import type {
  RunSimulatorRequest,
  RunSimulatorResult,
  SimSessionView,
  StartSimSessionRequest,
} from '../../../server/contracts/lab';
import { useGuarded } from '../lab/use-guarded';

export function useSimActions() {
  const { app, busy, guard } = useGuarded('The simulated client is not available on this host (501)');

  const session = async (key: string, work: () => Promise<SimSessionView>) =>
    guard(key, async () => {
      const view = await work();
      app.lab.applySession(view);
      return view;
    });

  return {
    busy,
    open: (body: StartSimSessionRequest, key: string) =>
      session(key, () => app.client.startSimSession({ body })),
    save: (id: string) =>
      session(`save:${id}`, () => app.client.saveSimSession({ params: { sessionId: id }, body: {} })),
    close: (id: string) =>
      session(`close:${id}`, () => app.client.closeSimSession({ params: { sessionId: id } })),
    run: (body: RunSimulatorRequest, key: string): Promise<RunSimulatorResult | undefined> =>
      guard(key, () => app.client.runSimulator({ body })),
    setSticky: (misbehave: string[]) =>
      guard('sticky', async () =>
        app.lab.setSimulatorMeta(await app.client.setMisbehaviour({ body: { misbehave } })),
      ),
    rotateKey: () =>
      guard('rotate', async () => {
        app.lab.setSimulatorMeta(await app.client.rotateSimulatorKey());
        app.notices.push('success', 'Rotated the simulator’s proof key: the old key is now ProofOld');
      }),
  };
}

export type SimActions = ReturnType<typeof useSimActions>;
