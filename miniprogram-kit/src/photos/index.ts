export { isCancel, pickAndUploadPhotos } from './pick-photos';
