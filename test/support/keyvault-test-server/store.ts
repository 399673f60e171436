/**
 * State of the Key Vault test double: vaults with secrets, keys and certificates, their versions,
 * soft-deleted objects, rotation and certificate policies, and an injectable clock with a Lowkey-style
 * time shift (every timestamp of a vault moves back N seconds, then due key rotations run).
 */
import { createHash, randomBytes } from 'node:crypto';

export interface Attributes {
  enabled: boolean;
  nbf?: number;
  exp?: number;
  created: number;
  updated: number;
  exportable?: boolean;
}

export interface SecretVersion {
  version: string;
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  attributes: Attributes;
}

export interface KeyVersion {
  version: string;
  kty: string;
  size?: number;
  crv?: string;
  keyOps: string[];
  n?: Buffer;
  x?: Buffer;
  y?: Buffer;
  tags?: Record<string, string>;
  attributes: Attributes;
}

export interface LifetimeAction {
  trigger: { timeAfterCreate?: string; timeBeforeExpiry?: string };
  action: { type: string };
}

export interface RotationPolicyState {
  lifetimeActions: LifetimeAction[];
  expiryTime?: string;
  created: number;
  updated: number;
}

export interface CertVersion {
  version: string;
  tags?: Record<string, string>;
  attributes: Attributes;
}

export interface DeletionState {
  deletedDate: number;
  scheduledPurgeDate: number;
}

export interface Entry<V> {
  name: string;
  versions: V[];
  managed?: boolean;
  deleted?: DeletionState;
}

export interface KeyEntry extends Entry<KeyVersion> {
  rotationPolicy?: RotationPolicyState;
}

export interface CertEntry extends Entry<CertVersion> {
  policy: Record<string, unknown>;
}

export class TestVault {
  readonly secrets = new Map<string, Entry<SecretVersion>>();
  readonly keys = new Map<string, KeyEntry>();
  readonly certificates = new Map<string, CertEntry>();
  recoveryLevel = 'Recoverable+Purgeable';
  recoverableDays = 90;
  /** Operations answered 403, e.g. 'secrets/list', 'keys/rotationpolicy', 'certificates/policy'. */
  readonly denied = new Set<string>();
  baseUrl = '';

  constructor(readonly name: string, private readonly clock: () => number) {}

  now(): number {
    return this.clock();
  }

  newVersion(): string {
    return randomBytes(16).toString('hex');
  }

  attrs(input: { enabled?: boolean; nbf?: number; exp?: number; exportable?: boolean } | undefined): Attributes {
    const t = this.now();
    const a: Attributes = { enabled: input?.enabled ?? true, created: t, updated: t };
    if (input?.nbf !== undefined) a.nbf = input.nbf;
    if (input?.exp !== undefined) a.exp = input.exp;
    if (input?.exportable !== undefined) a.exportable = input.exportable;
    return a;
  }

  makeKeyVersion(kty: string, size: number | undefined, crv: string | undefined, keyOps: string[] | undefined, attributes: Attributes, tags?: Record<string, string>): KeyVersion {
    const k: KeyVersion = { version: this.newVersion(), kty, keyOps: keyOps ?? ['sign', 'verify', 'wrapKey', 'unwrapKey', 'encrypt', 'decrypt'], attributes, ...(tags ? { tags } : {}) };
    if (kty.startsWith('RSA')) {
      k.size = size ?? 2048;
      // Public modulus placeholder of the right length (top bit set); the collector reads sizes, not math.
      const n = randomBytes(k.size / 8);
      n[0] = (n[0] as number) | 0x80;
      k.n = n;
    } else if (kty.startsWith('EC')) {
      k.crv = crv ?? 'P-256';
      const len = k.crv === 'P-384' ? 48 : k.crv === 'P-521' ? 66 : 32;
      k.x = randomBytes(len);
      k.y = randomBytes(len);
    } else {
      k.size = size ?? 256;
    }
    return k;
  }

  /** Moves every timestamp back by `seconds` (objects age), then runs key rotations that fell due. */
  shiftTime(seconds: number): void {
    const shiftAttrs = (a: Attributes) => {
      a.created -= seconds;
      a.updated -= seconds;
      if (a.nbf !== undefined) a.nbf -= seconds;
      if (a.exp !== undefined) a.exp -= seconds;
    };
    const shiftDeleted = (d?: DeletionState) => {
      if (d) {
        d.deletedDate -= seconds;
        d.scheduledPurgeDate -= seconds;
      }
    };
    for (const e of this.secrets.values()) {
      e.versions.forEach((v) => shiftAttrs(v.attributes));
      shiftDeleted(e.deleted);
    }
    for (const e of this.keys.values()) {
      e.versions.forEach((v) => shiftAttrs(v.attributes));
      shiftDeleted(e.deleted);
      if (e.rotationPolicy) {
        e.rotationPolicy.created -= seconds;
        e.rotationPolicy.updated -= seconds;
      }
    }
    for (const e of this.certificates.values()) {
      e.versions.forEach((v) => shiftAttrs(v.attributes));
      shiftDeleted(e.deleted);
    }
    this.runDueRotations();
  }

  private runDueRotations(): void {
    for (const e of this.keys.values()) {
      if (e.deleted || !e.rotationPolicy) continue;
      const rotate = e.rotationPolicy.lifetimeActions.find((a) => a.action.type.toLowerCase() === 'rotate' && a.trigger.timeAfterCreate);
      const days = rotate ? isoDays(rotate.trigger.timeAfterCreate as string) : null;
      const latest = e.versions[e.versions.length - 1];
      if (days === null || !latest) continue;
      if (this.now() - latest.attributes.created >= days * 86400) this.rotateKey(e);
    }
  }

  rotateKey(e: KeyEntry): KeyVersion {
    const latest = e.versions[e.versions.length - 1] as KeyVersion;
    const attributes = this.attrs({ enabled: true, ...(latest.attributes.exportable !== undefined ? { exportable: latest.attributes.exportable } : {}) });
    const expiry = e.rotationPolicy?.expiryTime ? isoDays(e.rotationPolicy.expiryTime) : null;
    if (expiry !== null) attributes.exp = attributes.created + expiry * 86400;
    const v = this.makeKeyVersion(latest.kty, latest.size, latest.crv, latest.keyOps, attributes, latest.tags);
    e.versions.push(v);
    return v;
  }

  thumbprint(der: Buffer): string {
    return createHash('sha1').update(der).digest('base64url');
  }
}

export function isoDays(iso: string): number | null {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/i.exec(iso);
  if (!m) return null;
  return Number(m[1] ?? 0) * 365 + Number(m[2] ?? 0) * 30 + Number(m[3] ?? 0);
}
