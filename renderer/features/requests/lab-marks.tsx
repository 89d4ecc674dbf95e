// The QA lab in the request log: the badge of a request a fault rule touched (and the banner in its
// detail, so an injected 500 never reads as a host bug), and the timeline rows of workbench events
// (lock-lab actions, on-disk changes) that sit among the requests but are not HTTP exchanges.
import type { ReactElement } from 'react';
import type { FaultTag, RequestRecord, TimelineEventKind } from '../../../server/contracts';
import { Button } from '../../components/button';
import { formatDateTime } from '../../components/format';
import { Icon, type IconName } from '../../components/icons';
import { KeyValue } from '../../components/panel';
import { useApp } from '../../state/app-context';

export function isEventRecord(record: RequestRecord): boolean {
  return record.source === 'event';
}

const EVENT_LABEL: Record<TimelineEventKind, { label: string; icon: IconName }> = {
  'lock-set': { label: 'Lock set', icon: 'locks' },
  'lock-steal': { label: 'Lock stolen', icon: 'key' },
  'lock-expire': { label: 'Lock expired', icon: 'clock' },
  'lock-force-unlock': { label: 'Force unlock', icon: 'unlock' },
  'disk-add': { label: 'Added on disk', icon: 'disk' },
  'disk-change': { label: 'Changed on disk', icon: 'disk' },
  'disk-remove': { label: 'Removed on disk', icon: 'disk' },
};

/** Label and icon of an event kind; a kind this UI does not know (a newer host) reads as itself. */
export function eventKindOf(record: RequestRecord): { label: string; icon: IconName } {
  const kind = record.event?.kind;
  if (kind && Object.hasOwn(EVENT_LABEL, kind)) return EVENT_LABEL[kind];
  return { label: kind ?? 'Event', icon: 'event' };
}

export function EventKindCell({ record }: { record: RequestRecord }): ReactElement {
  const { label, icon } = eventKindOf(record);
  return (
    <span className="event-kind" data-testid="event-kind" data-kind={record.event?.kind} title={label}>
      <Icon name={icon} size={13} />
      <span className="event-kind-label">{label}</span>
    </span>
  );
}

export function FaultBadge({ fault }: { fault: FaultTag }): ReactElement {
  return (
    <span
      className="badge badge-lab badge-fault"
      title={`Injected by fault rule “${fault.ruleName}”: ${fault.summary}`}
      data-testid="fault-badge"
      data-rule-id={fault.ruleId}
    >
      <Icon name="bolt" size={11} />
      fault
      <small className="fault-rule-name">{fault.ruleName}</small>
    </span>
  );
}

/** Up front in a touched request's detail: what was injected, by which rule, and a way to that rule. */
export function FaultBanner({ fault }: { fault: FaultTag }): ReactElement {
  const app = useApp();
  return (
    <div className="fault-banner" data-testid="detail-fault" data-rule-id={fault.ruleId}>
      <Icon name="bolt" />
      <div className="fault-banner-text">
        <strong>
          Injected by fault rule <span data-testid="detail-fault-rule">{fault.ruleName}</span>:
        </strong>{' '}
        <span data-testid="detail-fault-summary">{fault.summary}</span>
        <div className="small">
          Not a host bug: the QA lab answered this on purpose
          {fault.preset ? (
            <>
              {' '}
              (preset <span className="mono">{fault.preset}</span>)
            </>
          ) : null}
          .
        </div>
      </div>
      <Button
        small
        variant="ghost"
        icon="bolt"
        onClick={() => app.ui.show('faults')}
        data-testid="detail-fault-open"
      >
        Faults
      </Button>
    </div>
  );
}

/** The detail of a timeline event: what happened, to which file, by whom, when. */
export function EventDetail({
  record,
  onClose,
}: {
  record: RequestRecord;
  onClose: () => void;
}): ReactElement {
  const app = useApp();
  const event = record.event;
  const { label, icon } = eventKindOf(record);
  const persona = event?.personaId
    ? (app.workspace.get().personas.find((p) => p.id === event.personaId)?.name ?? event.personaId)
    : undefined;
  return (
    <aside className="detail" data-testid="request-detail" data-request-id={record.id} data-source="event">
      <div className="detail-head">
        <div className="detail-title">
          <span className="event-icon" aria-hidden="true">
            <Icon name={icon} />
          </span>
          <h2 data-testid="detail-operation">{label}</h2>
        </div>
        <div className="detail-actions">
          <Button small variant="ghost" icon="close" onClick={onClose} aria-label="Close details" />
        </div>
      </div>
      <div className="event-summary" data-testid="detail-event-summary">
        {event?.summary ?? 'A workbench event'}
      </div>
      <div className="detail-summary">
        <KeyValue
          rows={[
            { key: 'What', value: 'A workbench event, not an HTTP exchange: no status, no headers' },
            record.fileId
              ? {
                  key: 'File',
                  value: (
                    <button
                      type="button"
                      className="link-btn"
                      onClick={() => app.ui.openFile(record.fileId ?? '')}
                    >
                      {record.filePath ?? record.fileId}
                    </button>
                  ),
                }
              : null,
            event?.actor ? { key: 'By', value: event.actor, testId: 'detail-event-actor' } : null,
            persona ? { key: 'Holder', value: persona, testId: 'detail-event-persona' } : null,
            record.lockBefore !== undefined || record.lockAfter !== undefined
              ? {
                  key: 'Lock',
                  value: `${record.lockBefore || 'unlocked'} → ${record.lockAfter || 'unlocked'}`,
                  mono: true,
                }
              : null,
            { key: 'When', value: formatDateTime(record.startedAt) },
          ]}
        />
      </div>
    </aside>
  );
}
