import type {Step} from '../source/engine/types.js';
import {connect} from './connect.js';
import {docker} from './docker/index.js';
import {homes} from './homes.js';
import {sshPort} from './ssh-port/index.js';

/**
 * The lab's steps, in the order they run (shared/DESIGN.md "Steps, in order"). Steps not written yet
 * (dns, certificate, images, stack) are added here when they land.
 */
export const steps: readonly Step[] = [connect, sshPort, docker, homes];
