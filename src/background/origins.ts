/**
 * Portal origins at run time: host permission, content-script registration and the
 * request-header rule for each origin the manager allows. (Filled in by the options work.)
 */
import type { Settings } from '../shared/types';
import { loadSettings } from './settings';

/** Adds an origin the manager has just granted host permission for. */
export async function addOrigin(_origin: string): Promise<Settings> {
  return loadSettings();
}

/** Removes an origin: withdraws its content scripts, header rule and host permission. */
export async function removeOrigin(_origin: string): Promise<Settings> {
  return loadSettings();
}

/** On start-up: make sure every allowed non-default origin has its content scripts registered. */
export async function ensureOriginsRegistered(): Promise<void> {}
