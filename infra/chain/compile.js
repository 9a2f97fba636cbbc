// Compiles contracts/*.sol with solc-js (optimizer on) into build/<Name>.json: { contractName, abi, bytecode, deployedBytecode }.
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const root = __dirname;
const contractsDir = path.join(root, 'contracts');
const buildDir = path.join(root, 'build');

const sources = {};
for (const file of fs.readdirSync(contractsDir).filter((f) => f.endsWith('.sol')).sort()) {
  sources[file] = { content: fs.readFileSync(path.join(contractsDir, file), 'utf8') };
}

const input = {
  language: 'Solidity',
  sources,
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: 'cancun',
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
  },
};

const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors || []).filter((e) => e.severity === 'error');
for (const message of output.errors || []) {
  process.stderr.write(message.formattedMessage + '\n');
}
if (errors.length > 0) {
  process.exit(1);
}

fs.mkdirSync(buildDir, { recursive: true });
for (const file of Object.keys(output.contracts)) {
  for (const [name, contract] of Object.entries(output.contracts[file])) {
    const bytecode = contract.evm.bytecode.object;
    if (!bytecode) {
      continue;
    }
    const artifact = {
      contractName: name,
      sourceName: `contracts/${file}`,
      compiler: solc.version(),
      abi: contract.abi,
      bytecode: '0x' + bytecode,
      deployedBytecode: '0x' + contract.evm.deployedBytecode.object,
    };
    // Written whole, then renamed: a test process that reads artifacts while another compiles never sees half a file.
    const target = path.join(buildDir, `${name}.json`);
    fs.writeFileSync(`${target}.${process.pid}.tmp`, JSON.stringify(artifact, null, 2) + '\n');
    fs.renameSync(`${target}.${process.pid}.tmp`, target);
    process.stdout.write(`compiled ${name} (${bytecode.length / 2} bytes)\n`);
  }
}
