import path from 'node:path';
import { conflict, type Problem } from '../errors.js';
import { readContained, targetText } from '../commit/safe-fs.js';
import { sha256 } from '../data.js';
import { decodeBase } from './base.js';
import { describeLines, hasConflictMarkers, mergeThreeWay, mergeWithoutBase, type Diff3, type MergeResult } from './merge.js';
import { classifyOnDisk, keepMigration, recordedFile, type GeneratedWriter } from './ownership.js';
import { recordPath } from './record.js';
import { sameCode } from '../python/same-code.js';
import { codeStyle } from '../python/code-style.js';

/**
 * `update`'s writer: an unedited file (or a missing one) becomes the fresh render; an edited one
 * is merged three ways with what was generated last time (the record's base), the user's
 * edits kept. Conflicting merges are collected over the whole run, then either refused
 * together (`assertMerged`, exit 3, each hunk listed) or, with markers, written as
 * standard conflict markers. The record keeps the fresh render as the next base, not the merged
 * file, so the merged file stays `edited` and the next update merges from the right base.
 */
export class MergingWriter {
  /** Files merged cleanly with the user's edits. */
  readonly merged: string[] = [];
  /** Files written with conflict markers (--conflicts=markers). */
  readonly marked: string[] = [];
  /** Python files whose only edit was their layout (`ruff format` at another line length): rendered anew. */
  readonly relaidOut: string[] = [];
  /** Migration folders whose revisions stay laid out for the line length the record was made at, by the length now. */
  readonly revisionsLaidOutBefore = new Map<string, number>();
  private readonly conflicts: Problem[] = [];

  constructor(
    private readonly diff3: Diff3,
    private readonly markers: boolean,
  ) {}

  readonly write: GeneratedWriter = (tree, generated, previous) => {
    const name = generated.feature.names.snake;
    if (previous === undefined) throw conflict('is not recorded in this target, so there is nothing to update; nothing was written.', { path: name, hints: [`Generate it first: \`petsage-build feature <payload>\`.`] });
    assertSameFiles(name, generated.plan.files.map((file) => file.path), previous.plan.files.map((file) => file.path));
    const kept = keepMigration(tree, generated, previous);
    // Revisions are never rewritten, so a new line length does not reach them: update says so.
    if (kept && codeStyle(previous.record.blueprint).lineLength !== generated.plan.context.lineLength) this.revisionsLaidOutBefore.set(path.posix.dirname(kept.path), generated.plan.context.lineLength);
    const base = decodeBase(previous.record.base, previous.record.files, recordPath(name));
    const recorded = new Map(previous.record.files.map((file) => [file.path, file.sha256]));
    return generated.files.map(({ path, content }) => {
      if (kept?.path === path) return kept;
      const bytes = readContained(tree.root, path);
      const onDisk = classifyOnDisk(bytes && sha256(bytes), content.sha256, recorded.get(path));
      if (onDisk !== 'edited') {
        // A file petsage-build has no record of stays a conflict for the tree to report.
        tree.write(path, content, { overwrite: onDisk !== 'foreign', owner: 'foreign' });
        return recordedFile(path, content);
      }
      if (hasConflictMarkers(bytes!)) {
        throw conflict('still holds conflict markers (the last update\'s, or a merge\'s); nothing was written.', {
          path,
          hints: ['Resolve them (keep the lines you want between the markers, then delete the marker lines), then run update again.'],
        });
      }
      const ours = targetText(bytes!, path);
      const theirs = content.bytes().toString('utf8');
      const baseText = base?.get(path);
      // Reformatted, not edited: merging one layout into another would only make conflicts of
      // the line breaks, and the fresh render is laid out for the backend's settings now.
      if (baseText !== undefined && path.endsWith('.py') && theirs !== ours && sameCode(baseText, ours)) {
        tree.write(path, content, { overwrite: true });
        this.relaidOut.push(path);
        return recordedFile(path, content);
      }
      const result = baseText === undefined ? mergeWithoutBase(this.diff3, { ours, theirs }) : mergeThreeWay(this.diff3, { base: baseText, ours, theirs });
      this.stage(tree, path, result, { ours, theirs, noBase: baseText === undefined });
      return recordedFile(path, content);
    });
  };

  private stage(tree: Parameters<GeneratedWriter>[0], path: string, result: MergeResult, { ours, theirs, noBase }: { ours: string; theirs: string; noBase: boolean }): void {
    if (result.clean) {
      // The new render may bring nothing to this file: the user's stays as it is, kept as
      // feature keeps an edit.
      if (result.text === ours) return tree.write(path, theirs, { overwrite: false, keepEdits: true });
      tree.write(path, result.text, { overwrite: true, merge: 'clean' });
      this.merged.push(path);
      return;
    }
    const why = noBase ? ', and its record keeps no base to merge from (an older petsage-build made it)' : '';
    for (const hunk of result.hunks) {
      this.conflicts.push({ path, message: `conflict: your ${describeLines(hunk.ours)} against the new render's ${describeLines(hunk.theirs)}${why}` });
    }
    if (this.markers) {
      tree.write(path, result.text, { overwrite: true, merge: 'markers' });
      this.marked.push(path);
    } else {
      // The new render, staged as the conflict it is for the report of the refused run: never written.
      tree.write(path, theirs, { overwrite: false, owner: 'edited' });
    }
  }

  /**
   * Every conflicting hunk of the run at once, exit 3. Called once everything is staged, before
   * anything is written; a dry run stages with markers to show them, and calls it after.
   */
  assertMerged(): void {
    if (this.conflicts.length === 0) return;
    const files = new Set(this.conflicts.map((problem) => problem.path)).size;
    throw conflict(`${files === 1 ? 'a file' : `${files} files`} edited since generated cannot be merged with the new render; nothing was written.`, {
      problems: this.conflicts,
      hints: ['Make your edits and the new render (the templates or the payload changed) agree there, or run again with --conflicts=markers to write conflict markers into the files and resolve them by hand.'],
    });
  }
}

/** update keeps a feature's files where they are: a layout that now puts them elsewhere is refused, not moved. */
function assertSameFiles(feature: string, planned: readonly string[], recorded: readonly string[]): void {
  const moved = planned.filter((file) => !recorded.includes(file));
  if (moved.length === 0) return;
  throw conflict('the layout now puts some of its files elsewhere than they were generated, and update does not move files; nothing was written.', {
    path: feature,
    problems: moved.map((file) => ({ path: file, message: 'is where the layout puts a file now; the record has it elsewhere' })),
    hints: ['Restore [tool.petsage] as it was, or remove the feature (`petsage-build remove`) and generate it again.'],
  });
}
