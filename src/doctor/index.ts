// venomqa/doctor: whether this machine and config can run journeys (`venomqa doctor`).
export { runDoctor, type DoctorReport, type RunDoctorOptions } from './run-doctor.js';
export type { CheckStatus, DoctorCheck } from './doctor-check.js';
