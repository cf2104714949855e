import { startLiveSegmentPass } from '../../lib/app/start-live-segment-pass.js';
import { perEnvironment } from '../dependencies.js';
import { logger } from '../middleware/observability.js';
import { scheduleHandler } from '../middleware/schedule-chain.js';

const deps = perEnvironment((d) => ({
  segments: d.segments,
  jobs: d.journeyJobs,
  ids: d.ids,
  clock: d.clock,
}));

export const handler = scheduleHandler(async () => {
  const pass = await startLiveSegmentPass(deps());
  logger.info(
    'live segment pass',
    pass.status === 'filed' ? { status: pass.status, jobId: pass.job.id } : pass,
  );
});
