// Fault-rule actions with their notices. Each answer is applied at once (the 'faults:changed' event
// that follows carries the same rules), so the list is right even while the stream reconnects.
import type {
  AddFaultRequest,
  FaultRuleView,
  ImportFaultsRequest,
  UpdateFaultRequest,
} from '../../../server/contracts/lab';
import { useGuarded } from '../lab/use-guarded';

export function useFaultActions() {
  const { app, busy, guard } = useGuarded('Fault rules are not available on this host (501)');

  const add = (body: AddFaultRequest, key = 'add'): Promise<FaultRuleView | undefined> =>
    guard(
      key,
      async () => {
        const rule = await app.client.addFault({ body });
        app.lab.upsertRule(rule);
        return rule;
      },
      (rule) => `Fault rule added: ${rule.name}`,
    );

  const update = (rule: FaultRuleView, body: UpdateFaultRequest) =>
    guard(`update:${rule.id}`, async () => {
      app.lab.upsertRule(await app.client.updateFault({ params: { ruleId: rule.id }, body }));
    });

  const remove = (rule: FaultRuleView) =>
    guard(
      `remove:${rule.id}`,
      async () => {
        await app.client.removeFault({ params: { ruleId: rule.id } });
        app.lab.dropRule(rule.id);
      },
      () => `Removed ${rule.name}`,
    );

  const clear = () =>
    guard(
      'clear',
      async () => {
        const { removed } = await app.client.clearFaults();
        app.lab.setRules([]);
        return removed;
      },
      (removed) => `Removed ${removed} fault rule${removed === 1 ? '' : 's'}`,
    );

  /** Saves the rules as faults.json (what `serve --faults FILE` reads). */
  const exportRules = () =>
    guard(
      'export',
      async () => {
        const file = await app.client.exportFaults();
        const blob = new Blob([`${JSON.stringify(file, null, 2)}\n`], { type: 'application/json' });
        const url = URL.createObjectURL(blob);
        const link = document.createElement('a');
        link.href = url;
        link.download = 'faults.json';
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
        return file.rules.length;
      },
      (n) => `Exported ${n} rule${n === 1 ? '' : 's'} as faults.json`,
    );

  const importRules = (body: ImportFaultsRequest) =>
    guard(
      'import',
      async () => {
        const rules = await app.client.importFaults({ body });
        app.lab.setRules(rules);
        return body.rules.length;
      },
      (n) => `Imported ${n} rule${n === 1 ? '' : 's'}`,
    );

  return { busy, add, update, remove, clear, exportRules, importRules };
}

export type FaultActions = ReturnType<typeof useFaultActions>;
