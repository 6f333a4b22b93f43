// `npm run simulators`: the provider simulators alone, on fixed localhost ports (SIM_*_PORT), seeded from the
// default inventory or from SIM_FIXTURE=<file>.
import { loadFixtureFile, startSimulators } from './runtime';

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

async function main() {
  const sims = await startSimulators({
    ports: {
      admin: port('SIM_ADMIN_PORT', 18100),
      alibaba: port('SIM_ALIBABA_PORT', 18101),
      baidu: port('SIM_BAIDU_PORT', 18102),
      huawei: port('SIM_HUAWEI_PORT', 18103),
    },
    fixture: process.env.SIM_FIXTURE ? loadFixtureFile(process.env.SIM_FIXTURE) : undefined,
  });
  console.log('simulators up:');
  for (const [name, url] of Object.entries(sims.endpoints)) console.log(`  ${name.padEnd(8)} ${url}`);
  const stop = () => void sims.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
