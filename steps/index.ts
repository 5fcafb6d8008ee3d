import type {Step} from '../source/engine/types.js';
import {connect} from './connect.js';
import {docker} from './docker/index.js';
import {homes} from './homes.js';

/**
 * The lab's steps, in the order they run (shared/DESIGN.md "Steps, in order"). Steps not written yet
 * (ssh-port, dns, certificate, images, stack) are added here when they land.
 */
export const steps: readonly Step[] = [connect, docker, homes];
