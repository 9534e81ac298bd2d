import { runImageProviderContract } from '@scriptsensei/core/testing';
import { createSlides } from '@scriptsensei/adapters/images/slides';

runImageProviderContract({ name: 'slides', create: () => createSlides(), capabilities: { exactSize: true } });
runImageProviderContract({ name: 'slides (paper theme)', create: () => createSlides({ theme: 'paper' }), capabilities: { exactSize: true } });
