import { expect } from 'chai';
import { BACKEND_NAMES, resetBackendSelection, selectBackend } from '../../agents/runtime/backend.ts';
import { doctorCommand } from '../../cli/commands/doctor.ts';
import { LudusError } from '../../envs/index.ts';

/** Runs the command with console.log captured. */
async function capture(argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  };
  try {
    const code = await doctorCommand(argv);
    return { code, out: lines.join('\n') };
  } finally {
    console.log = original;
  }
}

describe('cli/commands/doctor', () => {
  after(async () => {
    resetBackendSelection();
    await selectBackend({ log: () => {} });
  });

  it('prints exactly {backends, chosen} with --json, chosen being the first available backend', async () => {
    const { code, out } = await capture(['--json']);
    expect(code).to.equal(0);
    const report = JSON.parse(out) as { backends: Record<string, { available: unknown; reason: unknown }>; chosen: string };
    expect(Object.keys(report)).to.deep.equal(['backends', 'chosen']);
    expect(Object.keys(report.backends)).to.deep.equal([...BACKEND_NAMES]);
    for (const name of BACKEND_NAMES) {
      expect(Object.keys(report.backends[name]!)).to.deep.equal(['available', 'reason']);
      expect(report.backends[name]!.available).to.be.a('boolean');
      expect(report.backends[name]!.reason).to.be.a('string').that.is.not.empty;
    }
    expect(report.chosen).to.equal(BACKEND_NAMES.find((name) => report.backends[name]!.available));
    expect(report.backends.cpu!.available).to.equal(true); // the pure-JS backend ships with tfjs
  });

  it('honours --backend for a backend that loads', async () => {
    const { out } = await capture(['--json', '--backend', 'cpu']);
    expect(JSON.parse(out).chosen).to.equal('cpu');
  });

  it('prints a table with the chosen backend, the Node version and the CPU count', async () => {
    const { code, out } = await capture([]);
    expect(code).to.equal(0);
    for (const name of BACKEND_NAMES) expect(out).to.include(name);
    expect(out)
      .to.include(process.version)
      .and.to.match(/\d+ CPUs?/);
  });

  it('rejects an unknown backend name as a usage error', async () => {
    let error: unknown;
    try {
      await doctorCommand(['--backend', 'tpu']);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(LudusError);
    expect((error as LudusError).code).to.equal('usage');
    expect((error as LudusError).message).to.include('tfjs-node-gpu');
  });
});
