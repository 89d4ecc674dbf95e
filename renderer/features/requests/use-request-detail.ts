// Full record for the detail pane. The list row may be trimmed, so the detail is fetched by id.
// A revealed copy (secrets in clear) lives only in this component's state, never in the shared store.
import { useCallback, useEffect, useState } from 'react';
import type { RequestRecord } from '../../../server/contracts';
import { describeError } from '../../api/control-client';
import { useApp } from '../../state/app-context';

export interface RequestDetail {
  record: RequestRecord | undefined;
  loading: boolean;
  error: string | undefined;
  revealed: boolean;
  reveal: () => Promise<void>;
  hide: () => void;
}

interface Loaded {
  id: string;
  record?: RequestRecord;
  revealed?: RequestRecord;
  error?: string;
}

export function useRequestDetail(id: string): RequestDetail {
  const app = useApp();
  const [loaded, setLoaded] = useState<Loaded>({ id });
  const [revealing, setRevealing] = useState(false);

  useEffect(() => {
    let live = true;
    app.client.request({ params: { requestId: id } }).then(
      (record) => {
        if (live) setLoaded({ id, record });
      },
      (err: unknown) => {
        if (live) setLoaded({ id, error: describeError(err) });
      },
    );
    return () => {
      live = false;
    };
  }, [app, id]);

  const current = loaded.id === id ? loaded : { id };
  const fallback = app.requests.byId(id);

  const reveal = useCallback(async () => {
    setRevealing(true);
    try {
      const revealed = await app.client.request({ params: { requestId: id }, query: { reveal: true } });
      setLoaded((prev) => (prev.id === id ? { ...prev, revealed } : prev));
    } catch (err) {
      app.notices.push('error', `Could not reveal: ${describeError(err)}`);
    } finally {
      setRevealing(false);
    }
  }, [app, id]);

  const hide = useCallback(() => {
    setLoaded((prev) => (prev.id === id ? { id, record: prev.record } : prev));
  }, [id]);

  return {
    record: current.revealed ?? current.record ?? fallback,
    loading: (!current.record && !current.error) || revealing,
    error: current.error,
    revealed: current.revealed !== undefined,
    reveal,
    hide,
  };
}
