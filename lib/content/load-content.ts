import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import { SegmentDefinition } from '../domain/audience-segment.js';
import {
  type DeliveryPolicy,
  InvalidDeliveryPolicyError,
  loadDeliveryPolicy,
} from '../domain/delivery-policy.js';
import { EmailTemplate } from '../domain/email-template.js';
import { JourneyDefinition } from '../domain/journey-definition.js';

export class InvalidContentError extends Error {
  override readonly name = 'InvalidContentError';
}

const readYamlFolder = async <T>(folder: string, schema: z.ZodType<T>): Promise<T[]> => {
  const names = (await readdir(folder)).filter((name) => name.endsWith('.yaml')).sort();
  return Promise.all(
    names.map(async (name) => {
      const path = join(folder, name);
      const result = schema.safeParse(parse(await readFile(path, 'utf8')));
      if (!result.success) {
        const problems = result.error.issues.map(
          (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
        );
        throw new InvalidContentError(`${path}: ${problems.join('; ')}`);
      }
      return result.data;
    }),
  );
};

import type { Content } from '../domain/content.js';

const isMissing = (error: unknown): boolean =>
  error instanceof Error && 'code' in error && error.code === 'ENOENT';

/** segments/ is optional: a deployment may ship none. Two files with one id would seed only the first. */
const readSegments = async (root: string): Promise<SegmentDefinition[]> => {
  const segments = await readYamlFolder(join(root, 'segments'), SegmentDefinition).catch((error: unknown) => {
    if (isMissing(error)) return [];
    throw error;
  });
  const seen = new Set<string>();
  for (const segment of segments) {
    if (seen.has(segment.id)) throw new InvalidContentError(`segments/: two files define "${segment.id}"`);
    seen.add(segment.id);
  }
  return segments;
};

export type { Content };

export const deliveryPolicyFile = 'delivery-policy.yaml';

const readDeliveryPolicy = async (root: string): Promise<DeliveryPolicy | undefined> => {
  let text: string;
  try {
    text = await readFile(join(root, deliveryPolicyFile), 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return loadDeliveryPolicy(text);
  } catch (error) {
    if (error instanceof InvalidDeliveryPolicyError)
      throw new InvalidContentError(`${deliveryPolicyFile}: ${error.message}`, { cause: error });
    throw error;
  }
};

/**
 * Reads the journeys, templates and segments kept in the repository. Every journey's
 * templates must exist, so a typo fails here rather than at send time.
 */
export const loadContent = async (root: string): Promise<Content> => {
  const [journeys, templates, deliveryPolicy, segments] = await Promise.all([
    readYamlFolder(join(root, 'journeys'), JourneyDefinition),
    readYamlFolder(join(root, 'templates'), EmailTemplate),
    readDeliveryPolicy(root),
    readSegments(root),
  ]);
  const templateIds = new Set(templates.map((template) => template.id));
  for (const journey of journeys) {
    journey.nodes.forEach((node, index) => {
      if (node.type === 'send_email' && !templateIds.has(node.template)) {
        throw new InvalidContentError(
          `journeys/${journey.id}: nodes.${index}.template: unknown template "${node.template}"`,
        );
      }
    });
  }
  return { journeys, templates, segments, ...(deliveryPolicy === undefined ? {} : { deliveryPolicy }) };
};
