import { expect } from 'chai';
import { AgentSupervisor } from '../../cli/agent-supervisor.ts';

const node = process.execPath;
const until = async (check: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 400; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe('AgentSupervisor', () => {
  it('prefixes each output line with the process name and passes the environment', async () => {
    const lines: string[] = [];
    const supervisor = new AgentSupervisor(
      [
        {
          name: 'bot',
          command: node,
          args: ['-e', 'console.log("hello " + process.env.LUDUS_AGENT_TOKEN); setInterval(() => {}, 1000)'],
          env: { LUDUS_AGENT_TOKEN: 'tok' },
        },
      ],
      { log: (line) => lines.push(line) },
    );
    supervisor.start();
    await until(() => lines.length > 0, 'output');
    expect(lines[0]).to.equal('[bot] hello tok');
    await supervisor.stop();
    expect(supervisor.pids()).to.deep.equal([undefined]);
  });

  it('restarts a child that exits, with a growing delay', async () => {
    const lines: string[] = [];
    const supervisor = new AgentSupervisor([{ name: 'crashy', command: node, args: ['-e', 'process.exit(3)'] }], {
      log: (line) => lines.push(line),
      restartDelayMs: 20,
      maxDelayMs: 40,
    });
    supervisor.start();
    await until(() => supervisor.restarts()['crashy']! >= 3, 'three restarts');
    await supervisor.stop();
    const exits = lines.filter((l) => l.includes('exited with code 3'));
    expect(exits.length).to.be.at.least(3);
    expect(exits[0]).to.include('restarting in 0.0 s');
    expect(exits[2]).to.include('restarting in 0.0 s'); // 40 ms, capped
    // Nothing can start again: no child runs and no restart timer is left.
    expect(supervisor.pids()).to.deep.equal([undefined]);
    expect(supervisor.waiting()).to.deep.equal([]);
  });

  it('kills a child that ignores SIGTERM once the grace period is over', async () => {
    const lines: string[] = [];
    const supervisor = new AgentSupervisor(
      [
        {
          name: 'stubborn',
          command: node,
          args: ['-e', 'process.on("SIGTERM", () => console.log("ignoring")); console.log("up"); setInterval(() => {}, 1000)'],
        },
      ],
      { log: (line) => lines.push(line), stopGraceMs: 200 },
    );
    supervisor.start();
    await until(() => lines.includes('[stubborn] up'), 'start');
    await supervisor.stop();
    await until(() => lines.includes('[stubborn] ignoring'), 'the SIGTERM handler output'); // it got SIGTERM, and still ended
    expect(supervisor.pids()).to.deep.equal([undefined]);
  });
});
