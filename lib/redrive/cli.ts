import { lambdaClient } from '../aws/clients/lambda.ts';
import { sqsClient } from '../aws/clients/sqs.ts';
import { runRedrive } from './redrive.ts';

// A reader that stops early (`| head`) closes the pipe; that is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await runRedrive(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  clients: () => ({ sqs: sqsClient(), lambda: lambdaClient() }),
});
