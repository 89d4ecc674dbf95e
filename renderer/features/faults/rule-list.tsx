// The active fault rules, in the order they apply (the first that fires wins): what each matches, when
// it fires, what it does, how often it did, and what contradicts itself. On/off and remove in place.
import type { ReactElement } from 'react';
import type { FaultRuleView } from '../../../server/contracts/lab';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { Icon } from '../../components/icons';
import { describeEffect, describeFiring, describeMatch, isSpent, type Names } from './fault-format';
import type { FaultActions } from './use-fault-actions';

function Counts({ rule }: { rule: FaultRuleView }): ReactElement {
  return (
    <span
      className="rule-counts"
      data-testid="fault-rule-counts"
      data-hits={rule.hits}
      data-matched={rule.matched}
    >
      <span title="Requests the rule fired on">
        <strong>{rule.hits}</strong> hit{rule.hits === 1 ? '' : 's'}
      </span>
      <span className="muted" title="Matching requests seen">
        {rule.matched} matched
      </span>
      {rule.remaining ? <span data-testid="fault-rule-remaining">{rule.remaining} left</span> : null}
    </span>
  );
}

function RuleItem({
  rule,
  index,
  names,
  actions,
}: {
  rule: FaultRuleView;
  index: number;
  names: Names;
  actions: FaultActions;
}): ReactElement {
  const spent = isSpent(rule);
  const off = !rule.enabled || spent;
  return (
    <li
      className={`rule${off ? ' is-off' : ''}`}
      data-testid="fault-rule"
      data-rule-id={rule.id}
      data-enabled={rule.enabled}
    >
      <label
        className="switch"
        title={rule.enabled ? 'On: click to turn the rule off' : 'Off: click to turn it on'}
      >
        <input
          type="checkbox"
          checked={rule.enabled}
          disabled={actions.busy === `update:${rule.id}`}
          onChange={(event) => void actions.update(rule, { enabled: event.target.checked })}
          data-testid="fault-rule-toggle"
          aria-label={`${rule.name}: ${rule.enabled ? 'on' : 'off'}`}
        />
        <span className="switch-track" aria-hidden="true" />
      </label>
      <div className="rule-main">
        <div className="rule-head">
          <span
            className="rule-order muted mono"
            title="Rules apply in this order; the first that fires wins"
          >
            {index + 1}
          </span>
          <span className="rule-name" data-testid="fault-rule-name">
            {rule.name}
          </span>
          {rule.preset ? (
            <Badge tone="lab" title="Added from this preset">
              {rule.preset}
            </Badge>
          ) : null}
          {!rule.enabled ? (
            <Badge tone="neutral">off</Badge>
          ) : spent ? (
            <Badge tone="neutral">spent</Badge>
          ) : null}
          <span className="rule-spacer" />
          <Counts rule={rule} />
        </div>
        <dl className="rule-facts">
          <dt>Matches</dt>
          <dd data-testid="fault-rule-match">{describeMatch(rule.match, names)}</dd>
          <dt>Fires</dt>
          <dd data-testid="fault-rule-fire">{describeFiring(rule.fire)}</dd>
          <dt>Does</dt>
          <dd className="mono" data-testid="fault-rule-effect">
            {describeEffect(rule.effect)}
          </dd>
        </dl>
        {rule.warnings.length > 0 ? (
          <ul className="warnings warning-box rule-warnings" data-testid="fault-rule-warnings">
            {rule.warnings.map((warning) => (
              <li key={warning}>
                <Icon name="warn" size={13} />
                <span>{warning}</span>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <Button
        small
        variant="ghost"
        icon="trash"
        busy={actions.busy === `remove:${rule.id}`}
        onClick={() => void actions.remove(rule)}
        data-testid="fault-rule-remove"
        title={`Remove ${rule.name}`}
        aria-label={`Remove ${rule.name}`}
      />
    </li>
  );
}

export function RuleList({
  rules,
  names,
  actions,
}: {
  rules: readonly FaultRuleView[];
  names: Names;
  actions: FaultActions;
}): ReactElement {
  return (
    <ul className="rule-list" data-testid="fault-rules">
      {rules.map((rule, i) => (
        <RuleItem key={rule.id} rule={rule} index={i} names={names} actions={actions} />
      ))}
    </ul>
  );
}
