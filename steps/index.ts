import type {Step} from '../source/engine/types.js';
import {backupStep} from './backup/index.js';
import {certificateStep} from './certificate/index.js';
import {connect} from './connect/index.js';
import {dnsStep} from './dns/index.js';
import {docker} from './docker/index.js';
import {homes} from './homes.js';
import {images} from './images/index.js';
import {sshPort} from './ssh-port/index.js';
import {stack} from './stack/index.js';

/** The lab's steps, in the order they run (shared/DESIGN.md "Steps, in order"). */
export const steps: readonly Step[] = [connect, sshPort, docker, dnsStep, certificateStep, homes, images, stack, backupStep];
