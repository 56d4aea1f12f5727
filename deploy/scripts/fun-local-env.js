// Runs Funcraft's OWN local-run code on a template and prints, as JSON, what `fun local invoke` would hand each
// function's container: the environment (lib/docker.js generateDockerEnvs, which copies EnvironmentVariables
// verbatim through generateFunctionEnvs and adds the profile's FC_* values) and the runtime's command line
// (generateDockerCmd). The template is read and merged as `fun local invoke` reads it (lib/tpl.js
// generateMergedTpl, lib/definition.js); the profile comes from fun's lib/profile.js (HOME/.fcli/config.yaml,
// the ACCOUNT_ID / REGION / ACCESS_KEY_* variables, or a .env in the working directory).
// Usage: node fun-local-env.js -t TEMPLATE [-t TEMPLATE]... SERVICE/FUNCTION... (run from the folder fun would run
// in; several -t are merged in order, as `fun local invoke -t a.yml -t b.yml` merges them).
'use strict';
const path = require('path');

const fun = path.join(__dirname, '..', 'node_modules', '@alicloud', 'fun', 'lib');
const { generateMergedTpl } = require(path.join(fun, 'tpl'));
const definition = require(path.join(fun, 'definition'));
const docker = require(path.join(fun, 'docker'));

async function main() {
  const args = process.argv.slice(2);
  const templates = [];
  const invokeNames = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-t') {
      templates.push(args[++i]);
    } else {
      invokeNames.push(args[i]);
    }
  }
  const { tpl, tplPath } = await generateMergedTpl(templates, true);
  const baseDir = path.resolve(path.dirname(tplPath));
  const out = {};
  for (const invokeName of invokeNames) {
    const { serviceName, serviceRes, functionName, functionRes } = definition.findFunctionInTpl(invokeName, tpl);
    if (!functionRes) {
      throw new Error(`no function ${invokeName} in ${templates.join(', ')}`);
    }
    const props = functionRes.Properties;
    const env = await docker.generateDockerEnvs(baseDir, serviceName, serviceRes.Properties, functionName, props,
        null, null, null, false, null, null);
    const cmd = docker.generateDockerCmd(props.Runtime, false, { functionProps: props, httpMode: false, event: '{}' });
    // what the container gets: every value as the string Docker's environment makes of it
    const stringEnv = {};
    for (const [k, v] of Object.entries(env)) {
      stringEnv[k] = String(v);
    }
    out[invokeName] = { serviceName, functionName, codeUri: path.resolve(baseDir, props.CodeUri), env: stringEnv, cmd };
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().then(() => process.exit(0), (e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
