/** Why a run failed, in words the dashboard, alerts and metrics share. */
export type ErrorClass =
  | 'dns'
  | 'refused'
  | 'timeout'
  | 'tls'
  | 'http_status'
  | 'assertion'
  | 'reset'
  | 'unreachable'
  | 'invalid'
  /** This machine ran short (file descriptors, memory): not the target's fault, never counted against it. */
  | 'local';

export type ProbeState = 'ok' | 'degraded' | 'fail';

/** Fractional milliseconds; null when the phase did not happen (an IP target has no DNS phase). */
export interface Phases {
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  /** Request sent to first byte of the answer. */
  ttfbMs: number | null;
  transferMs: number | null;
  totalMs: number;
}

export interface CertificateFacts {
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  /** Negative once expired. */
  daysToExpiry: number;
}

/** A type alias, not an interface, so that it fits `Record<string, unknown>` (a pushed result's details). */
export type ProbeDetails = {
  /** The address connected to. */
  address?: string;
  redirects?: number;
  bodyBytes?: number;
  /** Set when the body was longer than the cap and reading stopped there. */
  bodyCappedAt?: number;
  certificate?: CertificateFacts;
  chain?: CertificateFacts[];
  answers?: string[];
  banner?: string;
};

/** One execution of a probe. Probes return these; they never throw. */
export interface ProbeResult {
  startedAt: string;
  ok: boolean;
  state: ProbeState;
  error?: { class: ErrorClass; message: string };
  phases: Phases;
  status?: number;
  details?: ProbeDetails;
}
