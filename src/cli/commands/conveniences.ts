/** `init`, `completion` and `schema`: the conveniences of the scanners users know (Trivy, Checkov, Prowler). */
import { Option, type Command } from 'commander';
import { FORMATS } from '../formats.js';
import type { Console } from '../console.js';
import { writeFileAtomic } from '../io.js';
import { PUBLISHED_SCHEMAS, publishedSchemaText, type PublishedSchemaName } from '../published-schemas.js';
import { completionScript, SHELLS } from './completion.js';
import { init, type InitFlags } from './init.js';

export function registerConvenienceCommands(program: Command, io: Console, setExit: (code: number) => void, cwd: string): void {
  program
    .command('init')
    .description('write a starter vaultproof.yaml and the scanner\'s access (Vault scanning policy, or Azure role assignment commands); never overwrites')
    .option('--azure', 'Azure Key Vault: vaultproof.yaml and vaultproof-azure-access.sh (Reader, Key Vault Reader, Graph permissions)')
    .option('--hashicorp', 'HashiCorp Vault: vaultproof.yaml and vaultproof-scanning-policy.hcl (the read-only scanning policy)')
    .option('--dir <dir>', 'where to write the files (default: the working directory)')
    .action((flags: InitFlags) => setExit(init(flags, cwd, io)));

  program
    .command('completion')
    .description('print a shell completion script (generated from the verbs and options): source <(vaultproof completion bash)')
    .addArgument(program.createArgument('<shell>', SHELLS.join(', ')).choices(SHELLS))
    .action((shell: string) => {
      io.write(completionScript(shell, program, FORMATS));
      setExit(0);
    });

  program
    .command('schema')
    .description('print the JSON Schema of vaultproof.yaml or of the waiver file (as published in schemas/)')
    .addArgument(program.createArgument('<document>', Object.keys(PUBLISHED_SCHEMAS).join(' or ')).choices(Object.keys(PUBLISHED_SCHEMAS)))
    .addOption(new Option('-o, --out <file>', 'write it to a file (atomically) instead of stdout'))
    .action((name: PublishedSchemaName, flags: { out?: string }) => {
      const text = publishedSchemaText(name);
      if (flags.out) writeFileAtomic(flags.out, text);
      else io.write(text);
      setExit(0);
    });
}
