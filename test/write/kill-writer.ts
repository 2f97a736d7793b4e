/**
 * Child process of the kill test: writes the fixture's new outputs into the folder given as the
 * first argument, exactly as a build's write stage does. Run with `MESH_REPORT_KILL_AT=N` to be
 * killed at the N-th step.
 */
import { writeOutputs } from '../../src/write/write-outputs.ts';
import { newOutputs } from './write-fixture.ts';

const { files, remove } = newOutputs(process.argv[2]!);
await writeOutputs(files, { remove });
