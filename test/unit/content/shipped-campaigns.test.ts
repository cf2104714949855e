import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../../../infra/local/local-stack.js';
import { loadContent } from '../../../lib/content/load-content.js';
import { CampaignDefinition } from '../../../lib/domain/campaign.js';

describe('the example campaigns in campaigns/', () => {
  it('are valid campaigns whose segment and templates ship with Rapport', async () => {
    const content = await loadContent(repoRoot);
    const templates = new Set(content.templates.map((template) => template.id));
    const segments = new Set(content.segments.map((segment) => segment.id));
    const files = (await readdir(`${repoRoot}/campaigns`)).filter((file) => file.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const parsed = CampaignDefinition.safeParse(
        parse(await readFile(`${repoRoot}/campaigns/${file}`, 'utf8')),
      );
      expect(parsed.error?.issues ?? [], file).toEqual([]);
      const campaign = parsed.data;
      if (campaign === undefined) continue;
      expect(segments, file).toContain(campaign.audience.segmentId);
      if (campaign.channel.kind === 'email') expect(templates, file).toContain(campaign.channel.templateId);
    }
  });
});
